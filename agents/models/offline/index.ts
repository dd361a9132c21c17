export { createOfflineModel, OFFLINE_MODEL, OFFLINE_PROVIDER } from './model.ts';
