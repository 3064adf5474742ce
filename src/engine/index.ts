/** The engine's public surface, for the UI and the CLI (nothing here touches a terminal). */
export * from './types.js';
export {Race, finalStatus, assertRaceConfig, MIN_STEP} from './race.js';
export {Racer, INITIAL_BIAS, INITIAL_WEIGHT, DIVERGENCE_FACTOR, FINISH_FLOOR, CHUNK_MS, gapReference, relativeGap} from './racer.js';
export type {RacerListener, RacerOptions, SavedRacer} from './racer.js';
export {Scheduler, DEFAULT_SPEED, MIN_SPEED, MAX_SPEED, MAX_TICK_MS} from './scheduler.js';
export type {SchedulerOptions} from './scheduler.js';
export {History, DEFAULT_HISTORY_CAPACITY} from './history.js';
export type {HistoryColumns, HistoryState} from './history.js';
export {Objective, solveOptimum} from './optimum.js';
export {Rng, seedState} from './rng.js';
export type {RngState} from './rng.js';
export {directLoss, gradientSums, applyStep, assertTrainingData} from './linear-model.js';
export {
	OPTIMIZER_NAMES,
	DEFAULT_LR,
	DEFAULT_BATCH_SIZE,
	RACER_NAMES,
	batchText,
	createBatchPolicy,
	defaultBatch,
	defaultRacerSpec,
	isNoteId,
	nameDefaults,
	racerDisplayName,
	racerSpec,
} from './catalog.js';
export type {RacerName, RacerSpecOptions} from './catalog.js';
export type {BatchPolicy, BatchState, Batch} from './batches/batch.js';
export {RULE_DEFAULTS, RULE_HYPERS, RULE_LABELS, defaultRule, ruleHyper, checkRule, checkLearningRate} from './rules/rule.js';
export type {RuleState} from './rules/rule.js';
export {curvature} from './curvature.js';
export {EngineGovernor, ENGINE_SHARE, TICK_MS} from './governor.js';
export type {GovernorSeat} from './governor.js';
