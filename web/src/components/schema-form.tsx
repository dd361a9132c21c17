import { type FormEvent, useId, useMemo, useState } from 'react';
import { ApiError } from '../api/client.ts';
import type { JsonSchema } from '../api/types.ts';
import { SchemaField } from './schema-field.tsx';
import { argumentsOf, type FieldErrors, fieldsOf, type RawValues, validate } from './schema-fields.ts';

/**
 * A form generated from a JSON schema: required marks, selects for enums, messages under the
 * fields (from the schema before sending, from the gateway's `details.fields` after).
 */
export function SchemaForm({
  schema,
  submitLabel,
  onSubmit,
  danger = false,
}: {
  schema: JsonSchema;
  submitLabel: string;
  onSubmit: (args: Record<string, unknown>) => Promise<void>;
  danger?: boolean;
}) {
  const form = useId().replace(/:/g, '');
  const fields = useMemo(() => fieldsOf(schema), [schema]);
  const [values, setValues] = useState<RawValues>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const change = (path: string, value: string | boolean) => {
    setValues((v) => ({ ...v, [path]: value }));
    if (errors[path]) setErrors(({ [path]: _, ...rest }) => rest);
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = validate(fields, values);
    setErrors(found);
    setFormError(undefined);
    if (Object.keys(found).length > 0) {
      const first = event.currentTarget.querySelector<HTMLElement>('[aria-invalid="true"]');
      first?.focus();
      setFormError('Some fields need attention.');
      return;
    }
    setBusy(true);
    try {
      await onSubmit(argumentsOf(fields, values));
    } catch (error) {
      if (error instanceof ApiError && error.fields.length > 0) {
        setErrors(Object.fromEntries(error.fields.map((f) => [f.field, f.message])));
      }
      setFormError((error as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="schema-form" onSubmit={submit} noValidate>
      {fields.length === 0 && <p className="muted">This tool takes no arguments.</p>}
      {fields.map((field) => (
        <SchemaField
          key={field.path}
          form={form}
          field={field}
          values={values}
          errors={errors}
          onChange={change}
        />
      ))}
      <p className="form-error" role="alert">
        {formError ?? ''}
      </p>
      <button
        type="submit"
        className={danger ? 'button button-danger' : 'button button-primary'}
        disabled={busy}
      >
        {busy ? 'Running…' : submitLabel}
      </button>
    </form>
  );
}
