/**
 * The plugin resolver circusd and circus-plugin use (spec/daemon.md 6.13):
 * a built-in short name or Circus class path first, then the kernel's
 * module resolution (path relative to the INI file with `:Export`, npm
 * package, dotted name resolved like a hook).
 */
import { resolvePluginModule, type PluginDescriptor, type PluginResolver } from '../../kernel';
import { findBuiltinPlugin } from '../builtin-plugins';

/** Resolves `use` to a descriptor; throws an Error saying why it cannot. */
export function resolvePlugin(use: string, configDir: string): PluginDescriptor {
  const builtin = findBuiltinPlugin(use);
  if (builtin) return builtin;
  try {
    return resolvePluginModule(use, configDir);
  } catch (err) {
    // A Circus class path we do not implement reads better than a module search trace.
    if (/^circus\.plugins\./.test(use.trim())) {
      throw new Error(`'${use.trim()}' is not a plugin circus-ts provides (${(err as Error).message})`);
    }
    throw err;
  }
}

/** The {@link PluginResolver} circusd gives the kernel. */
export const builtinPluginResolver: PluginResolver = { resolve: resolvePlugin };
