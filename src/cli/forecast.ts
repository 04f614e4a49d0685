import type { Command } from 'commander';

export function registerForecastCommands(program: Command): void {
  void program;
}
