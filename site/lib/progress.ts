// The learner's progress, kept in localStorage under one key. Runs in the browser (no Node API).
//
// Reading is defensive: storage may be missing or blocked, and the stored value may be corrupt
// (not JSON) or foreign (another app's data, an older shape, wrong types). None of that throws:
// what cannot be understood is treated as empty, and well-formed parts are kept.

export const PROGRESS_KEY = "kijl.progress.v1";
export const PROGRESS_VERSION = 1;
/** Fired on window after every save, so pages can refresh their marks. */
export const PROGRESS_EVENT = "kijl:progress";

export interface QuizResult {
  /** Best score so far. */
  best: number;
  /** Score of the last attempt. */
  last: number;
  /** Number of questions. */
  total: number;
  /** Last answers: question id → indexes of the chosen options. */
  answers?: Record<string, number[]>;
}
export interface ExerciseResult {
  passed: boolean;
  /** ISO time of the last check. */
  at: string;
}
export interface LessonProgress {
  visited?: true;
  quiz?: QuizResult;
  exercise?: ExerciseResult;
}
export interface Progress {
  version: typeof PROGRESS_VERSION;
  lessons: Record<string, LessonProgress>;
}

export function emptyProgress(): Progress {
  return { version: PROGRESS_VERSION, lessons: {} };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;
const SLUG = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

function cleanQuiz(v: unknown): QuizResult | undefined {
  if (!isObj(v) || !isCount(v.best) || !isCount(v.last) || !isCount(v.total) || v.total < 1) return undefined;
  if (v.best > v.total || v.last > v.total) return undefined;
  const out: QuizResult = { best: v.best, last: v.last, total: v.total };
  if (isObj(v.answers)) {
    const answers: Record<string, number[]> = {};
    for (const [id, picked] of Object.entries(v.answers)) {
      if (Array.isArray(picked) && picked.every(isCount)) answers[id] = [...picked];
    }
    out.answers = answers;
  }
  return out;
}

function cleanExercise(v: unknown): ExerciseResult | undefined {
  if (!isObj(v) || typeof v.passed !== "boolean" || typeof v.at !== "string") return undefined;
  return { passed: v.passed, at: v.at };
}

/**
 * Validate an unknown value as progress. Returns null when it is not progress at all (wrong
 * top-level shape); otherwise the well-formed parts, with malformed entries dropped.
 */
export function sanitizeProgress(value: unknown): Progress | null {
  if (!isObj(value) || !isObj(value.lessons)) return null;
  if (value.version !== undefined && value.version !== PROGRESS_VERSION) return null;
  const lessons: Record<string, LessonProgress> = {};
  for (const [slug, raw] of Object.entries(value.lessons)) {
    if (!SLUG.test(slug) || !isObj(raw)) continue;
    const entry: LessonProgress = {};
    if (raw.visited === true) entry.visited = true;
    const quiz = cleanQuiz(raw.quiz);
    if (quiz) entry.quiz = quiz;
    const exercise = cleanExercise(raw.exercise);
    if (exercise) entry.exercise = exercise;
    if (Object.keys(entry).length > 0) lessons[slug] = entry;
  }
  return { version: PROGRESS_VERSION, lessons };
}

function storage(): Storage | null {
  try {
    return typeof globalThis.localStorage === "undefined" ? null : globalThis.localStorage;
  } catch {
    return null; // access itself can throw when storage is blocked
  }
}

/** The stored progress; empty when there is none or it cannot be understood. Never throws. */
export function loadProgress(): Progress {
  try {
    const raw = storage()?.getItem(PROGRESS_KEY);
    if (raw == null) return emptyProgress();
    return sanitizeProgress(JSON.parse(raw)) ?? emptyProgress();
  } catch {
    return emptyProgress();
  }
}

/** Store progress. Returns false when storage is unavailable or full. Never throws. */
export function saveProgress(progress: Progress): boolean {
  try {
    const s = storage();
    if (!s) return false;
    s.setItem(PROGRESS_KEY, JSON.stringify(progress));
  } catch {
    return false;
  }
  try {
    globalThis.dispatchEvent?.(new Event(PROGRESS_EVENT));
  } catch {
    // no window (tests, workers): nothing to notify
  }
  return true;
}

function update(slug: string, change: (entry: LessonProgress) => void): Progress {
  const progress = loadProgress();
  const entry = progress.lessons[slug] ?? {};
  change(entry);
  progress.lessons[slug] = entry;
  saveProgress(progress);
  return progress;
}

export function lessonProgress(slug: string, progress = loadProgress()): LessonProgress {
  return progress.lessons[slug] ?? {};
}

export function markVisited(slug: string): Progress {
  if (loadProgress().lessons[slug]?.visited) return loadProgress();
  return update(slug, (e) => {
    e.visited = true;
  });
}

/** Record a quiz attempt: keeps the best score, the last score and the last answers. */
export function recordQuiz(slug: string, score: number, total: number, answers?: Record<string, number[]>): Progress {
  const s = Math.max(0, Math.min(Math.trunc(score), total));
  return update(slug, (e) => {
    e.visited = true;
    const best = e.quiz && e.quiz.total === total ? Math.max(e.quiz.best, s) : s;
    e.quiz = { best, last: s, total, ...(answers ? { answers } : {}) };
  });
}

/** Forget the last answers of a quiz (the scores stay). */
export function clearQuizAnswers(slug: string): Progress {
  return update(slug, (e) => {
    if (e.quiz) delete e.quiz.answers;
  });
}

/** Record an exercise check. Once passed, a later failing check does not take the pass away. */
export function recordExercise(slug: string, passed: boolean, at: Date = new Date()): Progress {
  return update(slug, (e) => {
    e.visited = true;
    e.exercise = { passed: passed || e.exercise?.passed === true, at: at.toISOString() };
  });
}

/** Progress as pretty JSON, for a download. */
export function exportProgress(progress = loadProgress()): string {
  return JSON.stringify({ ...progress, exportedAt: new Date().toISOString() }, null, 2) + "\n";
}

export type ImportResult = { ok: true; lessons: number } | { ok: false; error: string };

/** Replace the stored progress with an exported file's text, after validating it. */
export function importProgress(text: string): ImportResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: "That file is not JSON. Choose a file made by “Export progress”." };
  }
  const progress = sanitizeProgress(value);
  if (!progress) {
    return { ok: false, error: "That JSON is not a progress file of this course (it has no version 1 “lessons” object)." };
  }
  if (!saveProgress(progress)) return { ok: false, error: "Your browser refused to store the progress (storage blocked or full)." };
  return { ok: true, lessons: Object.keys(progress.lessons).length };
}

export function resetProgress(): void {
  try {
    storage()?.removeItem(PROGRESS_KEY);
  } catch {
    // blocked storage: nothing stored anyway
  }
  try {
    globalThis.dispatchEvent?.(new Event(PROGRESS_EVENT));
  } catch {
    // no window
  }
}

/**
 * A lesson is complete when every part it has is done: its text read to the end, its quiz
 * answered (any score: the point is to have met every explanation), its exercise passed.
 */
export function isComplete(entry: LessonProgress | undefined, hasQuiz: boolean, hasExercise: boolean): boolean {
  if (!entry?.visited) return false;
  if (hasQuiz && !entry.quiz) return false;
  if (hasExercise && entry.exercise?.passed !== true) return false;
  return true;
}
