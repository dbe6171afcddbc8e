export { openWorkspace, type Workspace, type WorkspaceOptions } from './workspace.js';
export type { Connectors, WiredSinks } from './connectors.js';
export { runJob, type RunJobOptions, type RunJobSummary } from './run-job.js';
export { describeAllQuarantined, type AllQuarantinedAlarm } from './quarantine-alarm.js';
export { syncJob, syncOutcome, type SyncJobOptions, type SyncJobResult } from './sync-job.js';
export { dlqListJob, dlqRetryJob, dlqDiscardJob, type DlqFilter, type ListedDeadLetter } from './dlq-jobs.js';
export { forgetJob, type ForgetRequest, type ForgetResult } from './forget-job.js';
export { mappingName, defaultStateDir } from './state-directory.js';
export { analyzeJob, type AnalysisSummary } from './analyze-job.js';
