export { changePoints, type ChangePointOptions, type ChangePoints, type Segment } from './change-points.js';
export { denseSeries, type DenseSeries, type DenseSeriesOptions, type Interval, type SeriesPoint } from './daily-series.js';
export { etsForecast, etsIntervals, type ForecastInterval } from './ets-intervals.js';
export { fitHoltWinters, type FittedHoltWinters } from './fit-holt-winters.js';
export { heuristicInitialState, type InitialState } from './holt-winters-initial.js';
export { holtWinters, type HoltWintersResult, type SmoothingParameters } from './holt-winters.js';
export { nelderMead, type NelderMeadOptions, type NelderMeadResult } from './nelder-mead.js';
export { stl, type StlOptions, type StlResult } from './stl.js';
export { strength, type Strength } from './strength.js';
