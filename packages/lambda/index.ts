export { loadConfig, parseJsonEnv, schedulerEnvSchema } from './config.ts';
export {
  createHttpHandler,
  createRouter,
  defineRoute,
  fieldErrors,
  parseGroupsClaim,
  type HttpEvent,
  type Route,
  type RouteResult,
} from './http.ts';
export { logger } from './logger.ts';
export { buildOpenApi } from './openapi.ts';
export { problemJson, problemResponse, problemType, toProblem, PROBLEM_CONTENT_TYPE, type Problem } from './problem.ts';
export { createPlatformServices, platformConfigSchema, systemClock, ulidGenerator, type PlatformConfig, type PlatformServices } from './services.ts';
