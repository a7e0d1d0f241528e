/**
 * The engine's wire form of a secret value: an object with this signature key. A provider that
 * accepts secrets gets them wrapped and keeps them secret by returning them wrapped.
 */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function isSecret(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

export function secret<T>(value: T): { value: T } {
  return { [SECRET_SIG_KEY]: SECRET_SIG, value } as { value: T };
}

/** How the engine sends a value not known yet (a preview, before the resource it comes from exists). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether the value holds a value not known yet, at any depth. */
export function holdsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (isSecret(value)) return holdsUnknown(value.value);
  if (Array.isArray(value)) return value.some(holdsUnknown);
  if (typeof value === "object" && value !== null) return Object.values(value).some(holdsUnknown);
  return false;
}

/** The value with every secret wrapper removed, at any depth. */
export function reveal(value: unknown): unknown {
  if (isSecret(value)) return reveal(value.value);
  if (Array.isArray(value)) return value.map(reveal);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, reveal(item)]));
  }
  return value;
}
