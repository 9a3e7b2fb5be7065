import type { ReactNode, Ref } from 'react';
import type { UiError } from '../state/field-errors.ts';
import { RichText } from './rich-text.tsx';

/** A labelled form control with its help text and, after a failed submit, its error. */
export interface FieldProps {
  id: string;
  label: string;
  /** Help shown under the label. */
  description?: string;
  optional?: boolean;
  error?: UiError | null;
  children: (control: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}

/**
 * Wraps one control: the label is a real `<label for>`, and the help and error are tied to the
 * control with aria-describedby, so a screen reader reads the error when focus lands on it.
 */
export function Field({ id, label, description, optional = false, error = null, children }: FieldProps): ReactNode {
  const descriptionId = description === undefined ? null : `${id}-description`;
  const errorId = error === null ? null : `${id}-error`;
  const describedBy = [errorId, descriptionId].filter((part) => part !== null).join(' ') || undefined;
  return (
    <div className={error === null ? 'field' : 'field field-invalid'}>
      <label htmlFor={id} className="field-label">
        {label}
        {optional ? <span className="field-optional"> (optional)</span> : null}
      </label>
      {description === undefined ? null : (
        <p id={descriptionId ?? undefined} className="field-description">
          {description}
        </p>
      )}
      {children({ id, describedBy, invalid: error !== null })}
      {error === null ? null : (
        <div id={errorId ?? undefined} className="field-error">
          <p className="field-error-message">
            <RichText text={error.message} />
          </p>
          {error.hint === undefined ? null : (
            <p className="field-error-hint">
              <RichText text={error.hint} />
            </p>
          )}
        </div>
      )}
    </div>
  );
}

/** A text input inside a Field. */
export function TextInput(props: {
  control: { id: string; describedBy: string | undefined; invalid: boolean };
  value: string;
  onChange: (value: string) => void;
  inputRef?: Ref<HTMLInputElement>;
  placeholder?: string;
  inputMode?: 'url' | 'text';
  required?: boolean;
}): ReactNode {
  const { control } = props;
  return (
    <input
      id={control.id}
      ref={props.inputRef}
      className="input"
      type="text"
      value={props.value}
      onChange={(event) => props.onChange(event.target.value)}
      aria-describedby={control.describedBy}
      aria-invalid={control.invalid || undefined}
      aria-required={props.required || undefined}
      placeholder={props.placeholder}
      inputMode={props.inputMode}
      autoComplete="off"
      spellCheck={false}
    />
  );
}
