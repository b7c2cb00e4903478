/**
 * Turning `[plugin:NAME] use = ...` into a {@link PluginDescriptor}
 * (spec/daemon.md 6.13, DESIGN.md PluginHost). The kernel resolves module
 * forms itself; built-in names and Circus class paths live in plugins/,
 * which the kernel never imports, so cli/ provides a {@link PluginResolver}
 * that looks there first and falls back to {@link resolvePluginModule}.
 *
 * Module forms (CommonJS), with an optional `:Export` (default `plugin`):
 * a path relative to the INI file (`./x`, `../x`, or absolute), an npm
 * package name (`circus-foo`, `@scope/foo`, found from the INI directory,
 * the working directory and NODE_PATH), or a dotted name resolved like a
 * hook (`pkg.module.Export`, spec 5.3).
 */
import * as path from 'path';
import { loadResolvedExport, resolveModuleSpec } from '../config/module-resolver';
import type { PluginDescriptor } from './plugin-api';

/** DI token of the {@link PluginResolver} the cli provides. */
export const PluginResolver = Symbol('PluginResolver');

/** Finds the descriptor a `use` value names; throws an Error whose message says why it cannot. */
export interface PluginResolver {
  resolve(use: string, configDir: string): PluginDescriptor;
}

/** Export looked up when `use` names a module without `:Export`. */
export const DEFAULT_PLUGIN_EXPORT = 'plugin';

/** True for an object shaped like a {@link PluginDescriptor}. */
export function isPluginDescriptor(value: unknown): value is PluginDescriptor {
  const v = value as Partial<PluginDescriptor> | null;
  return (
    typeof v === 'object' && v !== null && typeof v.name === 'string' && typeof v.plugin === 'function' &&
    typeof v.options === 'object' && v.options !== null
  );
}

function packageFile(request: string, configDir: string): string | null {
  const nodePath = (process.env.NODE_PATH ?? '').split(path.delimiter).filter((d) => d !== '');
  try {
    return require.resolve(request, { paths: [configDir, process.cwd(), ...nodePath] });
  } catch {
    return null;
  }
}

/** Splits `module:Export`; a Windows drive letter is not an export. */
function splitExport(use: string): { mod: string; exportName: string | null } {
  const colon = use.lastIndexOf(':');
  if (colon <= 0) return { mod: use, exportName: null };
  return { mod: use.slice(0, colon), exportName: use.slice(colon + 1) };
}

function pick(file: string, moduleValue: unknown, exportPath: readonly string[], explicit: boolean): PluginDescriptor {
  let value = moduleValue;
  for (const part of exportPath) {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function') || !(part in (value as object))) {
      throw new Error(`${file} has no export '${exportPath.join('.')}'`);
    }
    value = (value as Record<string, unknown>)[part];
  }
  if (!explicit && !isPluginDescriptor(value) && isPluginDescriptor((value as { default?: unknown } | null)?.default)) {
    value = (value as { default: unknown }).default;
  }
  if (!isPluginDescriptor(value)) {
    const what = exportPath.length ? `export '${exportPath.join('.')}' of ${file}` : file;
    throw new Error(`${what} is not a plugin descriptor (expected an object with name, options and a plugin class)`);
  }
  return value;
}

function load(file: string): unknown {
  const loaded = loadResolvedExport({ file, exportPath: [] });
  if (!loaded.ok) throw new Error(loaded.reason);
  if (!loaded.checked) throw new Error(`${file} is an ES module: plugins must be CommonJS modules`);
  return loaded.value;
}

/**
 * Resolves a module form of `use` relative to `configDir`. Throws an Error
 * naming the module and where it was looked for.
 */
export function resolvePluginModule(use: string, configDir: string): PluginDescriptor {
  const text = use.trim();
  if (text === '') throw new Error('`use` is empty');
  const { mod, exportName } = splitExport(text);
  const explicit = exportName !== null;
  const exportPath = (exportName ?? DEFAULT_PLUGIN_EXPORT).split('.').filter((s) => s !== '');
  const isPath = mod.startsWith('.') || path.isAbsolute(mod);
  if (isPath || explicit || mod.includes('/') || mod.startsWith('@')) {
    const found = resolveModuleSpec(`${mod}:x`, { configDir });
    const file = found.ok ? found.file : isPath ? null : packageFile(mod, configDir);
    if (!file) {
      const where = isPath ? path.resolve(configDir, mod) : `Node packages from ${configDir}`;
      throw new Error(`cannot find module '${mod}' (looked at ${where})`);
    }
    return pick(file, load(file), exportPath, explicit);
  }
  // A bare name: an npm package first, then the hook-style dotted lookup.
  const pkg = packageFile(mod, configDir);
  if (pkg) return pick(pkg, load(pkg), exportPath, false);
  const dotted = resolveModuleSpec(mod, { configDir });
  if (!dotted.ok) throw new Error(dotted.reason);
  const value = load(dotted.file);
  return dotted.exportPath.length ? pick(dotted.file, value, dotted.exportPath, true) : pick(dotted.file, value, exportPath, false);
}

/** The kernel's own resolver: module forms only (no built-in names). */
export const modulePluginResolver: PluginResolver = { resolve: resolvePluginModule };
