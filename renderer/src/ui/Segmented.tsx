/** A row of toggle buttons choosing one of a few values (view, colour mode). */
export function Segmented<T extends string>(props: {
  label: string;
  options: readonly T[];
  value: T;
  onChange(value: T): void;
  labelOf(value: T): string;
  titleOf(value: T): string;
  testId?(value: T): string;
}) {
  return (
    <div className="segmented" role="group" aria-label={props.label}>
      {props.options.map((v) => (
        <button
          key={v}
          className={props.value === v ? 'is-active' : ''}
          aria-pressed={props.value === v}
          onClick={() => props.onChange(v)}
          title={props.titleOf(v)}
          data-testid={props.testId?.(v)}
        >
          {props.labelOf(v)}
        </button>
      ))}
    </div>
  );
}
