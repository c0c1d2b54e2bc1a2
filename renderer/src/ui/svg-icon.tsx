// The frame every line icon is drawn in: 24px grid, 1.8 stroke, currentColor, hidden from screen readers.
import type { ReactNode } from 'react';

export type IconProps = { readonly className?: string };

export function Svg({ className, children }: IconProps & { readonly children: ReactNode }) {
  return (
    <svg className={className ?? 'icon'} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      {children}
    </svg>
  );
}
