// Errors of the schedule inputs that name the offending field as data (`patterns[0].lengthHours`),
// so callers answer with the field without parsing the message. The message keeps the
// "field: reason" form the CLI prints.
export class FieldError extends RangeError {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}
