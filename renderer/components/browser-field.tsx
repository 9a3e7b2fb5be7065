import type { ReactNode, Ref } from 'react';
import type { LoginBrowser } from '../../core/common/profile.ts';
import type { UiError } from '../state/field-errors.ts';
import { browserLabels } from '../state/login-browsers.ts';
import { Field } from './form-field.tsx';

/** The "Log in with" choice of a site's profile; nothing when its mode allows one browser only (cookie, query, app-session). */
export function BrowserField(props: {
  id: string;
  offered: readonly LoginBrowser[];
  value: LoginBrowser;
  onChange: (browser: LoginBrowser) => void;
  description: string;
  error?: UiError | null;
  selectRef?: Ref<HTMLSelectElement>;
}): ReactNode {
  if (props.offered.length < 2) return null;
  return (
    <Field id={props.id} label="Log in with" description={props.description} error={props.error ?? null}>
      {(control) => (
        <select
          id={control.id}
          ref={props.selectRef}
          className="input"
          value={props.value}
          onChange={(event) => {
            const chosen = props.offered.find((browser) => browser === event.target.value);
            if (chosen !== undefined) props.onChange(chosen);
          }}
          aria-describedby={control.describedBy}
          aria-invalid={control.invalid || undefined}
        >
          {props.offered.map((browser) => (
            <option key={browser} value={browser}>
              {browserLabels[browser]}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
