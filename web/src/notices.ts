import { createContext, useContext } from 'react';

export type NoticeTone = 'info' | 'success' | 'error';
export interface Notice {
  id: number;
  message: string;
  tone: NoticeTone;
}

export type Notify = (message: string, tone?: NoticeTone) => void;

export const NotifyContext = createContext<Notify>(() => {});

/** Shows a short message in the console's live notice area. */
export function useNotify(): Notify {
  return useContext(NotifyContext);
}
