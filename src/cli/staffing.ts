import type { Command } from 'commander';

export function registerStaffingCommands(program: Command): void {
  void program;
}
