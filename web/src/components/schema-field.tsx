import type { ChangeEvent, ReactNode } from 'react';
import type { FieldErrors, FieldSpec, RawValues } from './schema-fields.ts';

const idOf = (form: string, path: string) => `${form}-${path.replace(/\W/g, '-')}`;

/** One generated form field: label, the control its schema calls for, hint, and its error. */
export function SchemaField({
  form,
  field,
  values,
  errors,
  onChange,
}: {
  form: string;
  field: FieldSpec;
  values: RawValues;
  errors: FieldErrors;
  onChange: (path: string, value: string | boolean) => void;
}) {
  const s = field.schema;
  if (field.kind === 'object' && field.children) {
    return (
      <fieldset className="fieldset">
        <legend>
          {field.label}
          {field.required && <span className="required-mark"> (required)</span>}
        </legend>
        {s.description && <p className="field-hint">{s.description}</p>}
        {field.children.map((child) => (
          <SchemaField
            key={child.path}
            form={form}
            field={child}
            values={values}
            errors={errors}
            onChange={onChange}
          />
        ))}
      </fieldset>
    );
  }
  const id = idOf(form, field.path);
  const error = errors[field.path];
  const hint = [s.description, field.kind === 'list' ? 'One per line.' : undefined, defaultHint(field)]
    .filter(Boolean)
    .join(' ');
  const described =
    [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const raw = values[field.path];
  const text = typeof raw === 'string' ? raw : '';
  const common = {
    id,
    name: field.path,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': described,
    'aria-required': field.required || undefined,
  };
  const change = (event: ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) =>
    onChange(field.path, event.target.value);

  let control: ReactNode;
  switch (field.kind) {
    case 'checkbox':
      control = (
        <input
          {...common}
          type="checkbox"
          checked={raw === true}
          onChange={(e) => onChange(field.path, e.target.checked)}
        />
      );
      break;
    case 'tristate':
      control = (
        <select {...common} value={text} onChange={change}>
          <option value="">—</option>
          <option value="true">Yes</option>
          <option value="false">No</option>
        </select>
      );
      break;
    case 'select':
      control = (
        <select {...common} value={text} onChange={change}>
          <option value="">
            {field.required ? 'Choose…' : s.default !== undefined ? `Default (${String(s.default)})` : '—'}
          </option>
          {(s.enum ?? []).map((option) => (
            <option key={String(option)} value={String(option)}>
              {String(option)}
            </option>
          ))}
        </select>
      );
      break;
    case 'integer':
    case 'number':
      control = (
        <input
          {...common}
          type="number"
          inputMode={field.kind === 'integer' ? 'numeric' : 'decimal'}
          step={field.kind === 'integer' ? 1 : 'any'}
          min={s.minimum}
          max={s.maximum}
          value={text}
          onChange={change}
        />
      );
      break;
    case 'textarea':
    case 'list':
    case 'json':
      control = (
        <textarea
          {...common}
          rows={field.kind === 'json' ? 4 : 3}
          value={text}
          onChange={change}
          className={field.kind === 'json' ? 'mono' : undefined}
          placeholder={field.kind === 'json' ? '{ }' : undefined}
        />
      );
      break;
    case 'file':
      control = (
        <input
          {...common}
          type="file"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            onChange(field.path, file ? await base64Of(file) : '');
          }}
        />
      );
      break;
    default:
      control = (
        <input
          {...common}
          type={field.kind === 'email' ? 'email' : field.kind === 'date' ? 'date' : 'text'}
          maxLength={s.maxLength}
          value={text}
          onChange={change}
          autoComplete="off"
        />
      );
  }
  return (
    <div className={field.kind === 'checkbox' ? 'field field-check' : 'field'}>
      <label htmlFor={id} className="field-label">
        {field.label}
        {field.required && <span className="required-mark"> (required)</span>}
      </label>
      {control}
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

function defaultHint(field: FieldSpec): string | undefined {
  const d = field.schema.default;
  if (d === undefined || field.kind === 'select') return undefined;
  return `Default: ${typeof d === 'object' ? JSON.stringify(d) : String(d)}.`;
}

function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}
