// Shapes of the Roskomnadzor notice API (/api/v1/compliance/rkn-notice).

export type DatabaseLocation = {
  country: string;
  city: string;
  hostingProvider: string;
  address?: string;
};

export type NoticeSettings = {
  databaseLocations: DatabaseLocation[];
  processingStartDate: string | null;
  endCondition: string | null;
  protectionLevel: '1' | '2' | '3' | '4' | null;
  extraMeasures: string[];
  updatedAt: string | null;
};

export type NoticeView = {
  fields: {
    operator: {
      legalName: string | null;
      address: string | null;
      inn: string | null;
      ogrn: string | null;
    };
    purposes: {
      code: string;
      title: string;
      legalBasis: string;
      dataCategories: { title: string; isSpecial: boolean }[];
      subjectCategories: string[];
      actions: string[];
      methods: string;
      retentionDays: number;
    }[];
    securityMeasures: { soglasie: string[]; extra: string[]; encryption: string };
    responsible: { name: string | null; contacts: string | null };
    processingStartDate: string | null;
    endCondition: string | null;
    crossBorder: {
      isPerformed: boolean;
      countries: {
        country: string;
        countryName: string;
        isAdequate: boolean;
        recipients: string[];
      }[];
    };
    databaseLocations: DatabaseLocation[];
    protectionLevel: string | null;
  };
  gaps: { field: string; code: string; message: string }[];
  fingerprint: string;
  lastFiling: { id: string; filedOn: string; reference: string; fingerprint: string } | null;
  isChangedSinceFiled: boolean;
  openTasks: { id: string; title: string; dueDate: string | null; isOverdue: boolean }[];
  settings: NoticeSettings;
  generatedAt: string;
};

export type Task = {
  id: string;
  kind: string;
  title: string;
  dueDate: string | null;
  status: 'open' | 'done';
  isOverdue: boolean;
  createdAt: string;
};
