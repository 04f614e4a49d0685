import type { Command } from 'commander';

export function registerServiceCommands(program: Command): void {
  void program;
}
