/**
 * What people call parameters, feature flags and enum values beside their own names, and the
 * words that switch something on or off. Like the lexicon, nothing here names a tool.
 */

/** What people call common parameters and feature flags, beside the parameter's own name. */
export const PARAM_ALIASES: Record<string, string[]> = {
  jobTitle: ['job title', 'title', 'position', 'job', 'retitle'],
  phone: ['phone number', 'phone', 'number', 'mobile', 'cell', 'telephone'],
  name: ['full name', 'name'],
  email: ['email address', 'e-mail', 'email', 'address'],
  timezone: ['time zone', 'timezone', 'tz'],
  language: ['language', 'locale'],
  ai: ['ai access', 'ai', 'assistant', 'agents', 'artificial intelligence'],
  crm: ['crm', 'leads', 'contacts', 'customer relationship management'],
  reviews: ['reviews', 'reputation'],
  analytics: ['analytics', 'reports', 'reporting', 'stats', 'statistics', 'insights', 'dashboards'],
  billing: ['billing', 'invoices', 'invoicing', 'payments', 'subscriptions?'],
  securityAlerts: ['security alerts', 'security notifications', 'security emails'],
  leadUpdates: ['lead updates', 'lead update', 'lead notifications', 'lead emails'],
  reviewAlerts: ['review alerts', 'review notifications', 'review emails'],
  inApp: ['in-app', 'in app', 'in the app', 'app', 'console'],
  pageSize: ['per page', 'page size'],
  rating: ['star rating', 'stars', 'star', 'rating', 'rated'],
  score: ['score', 'points'],
  unanswered: [
    'unanswered',
    'unreplied',
    'unresponded',
    "(not|never|haven't|hasn't|isn't|aren't|wasn't|weren't|didn't|don't|doesn't|no one|nobody|no-one)( \\S+){0,3} (answered|replied|responded)( to)?",
    'without (a |an |any )?(reply|replies|response|responses|answer|answers)',
    'no (reply|replies|response|responses|answer|answers)( yet)?',
    '(need|needs|needing|awaiting|waiting for|waiting on|pending|require|requires) (a |an |any )?(reply|response|answer)',
    'still open',
  ],
  onboardingVisible: ['onboarding'],
  featured: ['feature', 'featured', 'unfeature', 'spotlight', 'highlight'],
  affiliateUrl: [
    'affiliate link',
    'affiliate url',
    'affiliate',
    'referral link',
    'partner link',
    'partner url',
  ],
};

/** What people call common enum values, beside the value's own words. */
export const VALUE_ALIASES: Record<string, string[]> = {
  admin: ['administrator'],
  super_admin: ['super administrator', 'superadmin', 'super user', 'superuser'],
  sub_admin: ['sub administrator', 'subadmin'],
  partner: ['agency', 'reseller'],
  deprecated: ['retire', 'sunset', 'phase out', 'end of life', 'obsolete', 'outdated'],
  active: ['reactivate', 'undeprecate', 're-enable', 'reenable', 'restore', 'reinstate', 'bring back'],
};

/** Words that switch something on or off. */
export const ON_WORDS =
  /\b(enable|enabled|activate|turn(ed)? on|switch(ed)? on|give|grant|allow|unlock|restore|re-?enable|add|on|yes|true|show|feature|highlight|spotlight|visible|open|unlock)\b/;
export const OFF_WORDS =
  /\b(disable|disabled|deactivate|turn(ed)? off|switch(ed)? off|remove|revoke|take away|block|deny|cut|lock|suspend|no|not|without|off|false|hide|unfeature|un-feature|stop|no longer|no more|anymore|kill|nuke|terminate|end|shouldn't|should not|can't|cannot|don't|do not|strip|pull(?=(?: \S+){0,3} (?:access|features?|rights|permissions?|privileges|role))|yank)\b/;
