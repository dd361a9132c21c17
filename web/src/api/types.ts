/** Shapes the gateway answers with (see the README's HTTP API and Tools sections). */

export interface Branding {
  productName?: string;
  primaryColor?: string;
  logoUrl?: string;
}

export type Role = 'super_admin' | 'admin' | 'sub_admin' | 'partner' | 'client';

export interface Me {
  user: {
    id: string;
    email: string;
    name: string;
    role: Role;
    tenant: {
      id: string;
      slug: string;
      name: string;
      kind: string;
      parentId: string | null;
      branding: Branding;
    };
    features: Record<string, boolean>;
    timezone: string;
    language: string;
    avatarUrl: string | null;
  };
  impersonator: { id: string; email: string | null } | null;
  via: string;
  mustResetPassword: boolean;
}

export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
}

export interface ToolInfo {
  name: string;
  title?: string;
  description?: string;
  inputSchema: JsonSchema;
  annotations?: {
    title?: string;
    readOnlyHint?: boolean;
    destructiveHint?: boolean;
    idempotentHint?: boolean;
  };
  access?: { permission: string; feature?: string; scope?: string; sensitive?: boolean };
}

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: 'active' | 'invited' | 'disabled';
  tenant: { id: string; slug: string; name: string } | null;
  phone: string | null;
  jobTitle: string | null;
  features: Record<string, boolean>;
  timezone: string;
  language: string;
  avatarUrl: string | null;
  lastLoginAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export interface SessionView {
  id: string;
  browser: string | null;
  os: string | null;
  device: string | null;
  ip: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt?: string;
  current: boolean;
}

export interface AuditItem {
  id?: string;
  at: string;
  atLocal?: string;
  tool: string;
  target: string | null;
  outcome: string;
  error: string | null;
  user: { id: string; email: string | null } | null;
  impersonator: { id: string; email: string | null } | null;
  via: string;
}

export interface AgentInfo {
  name: string;
  title: string;
  builtIn?: boolean;
}

export interface ConversationSummary {
  id: string;
  title: string;
  agent: string | null;
  updatedAt: string;
}

export type NotificationChannel = 'email' | 'inApp';
export type NotificationPreferences = Record<NotificationChannel, Record<string, boolean>>;
