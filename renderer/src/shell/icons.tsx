// Small line icons drawn inline (no icon font, nothing the CSP would have to allow).
import { Svg, type IconProps } from '../ui/svg-icon.tsx';

export function FerryMark({ className }: IconProps) {
  return (
    <svg className={className ?? 'ferry-mark'} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="8" className="ferry-mark-bg" />
      <path d="M8 17h16l-2.6 5.2a2 2 0 0 1-1.8 1.1h-7.2a2 2 0 0 1-1.8-1.1z" className="ferry-mark-hull" />
      <path d="M11 17v-4.5a1 1 0 0 1 1-1h8a1 1 0 0 1 1 1V17" className="ferry-mark-cabin" />
      <path d="M15 11.5V8.5h3" className="ferry-mark-cabin" />
    </svg>
  );
}

export function InboxIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M4 13l2.2-7.1A1.5 1.5 0 0 1 7.6 5h8.8a1.5 1.5 0 0 1 1.4.9L20 13" />
      <path d="M4 13v5a1.5 1.5 0 0 0 1.5 1.5h13A1.5 1.5 0 0 0 20 18v-5h-4.5l-1.2 2h-4.6l-1.2-2z" />
    </Svg>
  );
}

export function SettingsIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M4 7h9M17 7h3M4 17h3M11 17h9" />
      <circle cx="15" cy="7" r="2" />
      <circle cx="9" cy="17" r="2" />
    </Svg>
  );
}

export function CheckIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M5 12.5l4.5 4.5L19 7.5" />
    </Svg>
  );
}

export function CrossIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M7 7l10 10M17 7L7 17" />
    </Svg>
  );
}

export function WarningIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M12 4.5L21 19.5H3z" />
      <path d="M12 10v4.5M12 17.2v.1" />
    </Svg>
  );
}

export function SkipIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M7 12h10" />
    </Svg>
  );
}
