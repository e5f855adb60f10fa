/**
 * What a user's own avatar must be on an echo connection: the same values on the Connection's
 * Avatars interface and, readable before connecting, on the Protocol's (and in `cave.manager`).
 * @module
 */
import type { BusInterface } from '#telepathy/domain/bus/bus-object.js';
import type { TypedValue } from '#telepathy/domain/bus/bus.port.js';
import { as, u } from '#telepathy/domain/values/typed-values.js';

/** The avatar requirements; 0 means no limit (for maxima) or no minimum. */
export const AVATAR_REQUIREMENTS = {
  /** The image types SetAvatar accepts, the first one preferred. */
  mimeTypes: ['image/png', 'image/jpeg', 'image/gif'],
  /** Smallest height in pixels (0: none). */
  minimumHeight: 0,
  /** Smallest width in pixels (0: none). */
  minimumWidth: 0,
  /** The size clients should aim for. */
  recommendedHeight: 64,
  /** The size clients should aim for. */
  recommendedWidth: 64,
  // The pictures are never scaled, so any size goes; only the byte count is checked.
  /** Largest height in pixels (0: no limit). */
  maximumHeight: 0,
  /** Largest width in pixels (0: no limit). */
  maximumWidth: 0,
  /** Largest picture in bytes: SetAvatar refuses bigger ones. */
  maximumBytes: 65536,
} as const;

/** The eight requirement properties, as both Avatars interfaces name them. */
export function avatarRequirementProperties(): Record<string, () => TypedValue> {
  const r = AVATAR_REQUIREMENTS;
  return {
    SupportedAvatarMIMETypes: () => as(r.mimeTypes),
    MinimumAvatarHeight: () => u(r.minimumHeight),
    MinimumAvatarWidth: () => u(r.minimumWidth),
    RecommendedAvatarHeight: () => u(r.recommendedHeight),
    RecommendedAvatarWidth: () => u(r.recommendedWidth),
    MaximumAvatarHeight: () => u(r.maximumHeight),
    MaximumAvatarWidth: () => u(r.maximumWidth),
    MaximumAvatarBytes: () => u(r.maximumBytes),
  };
}

/** `org.freedesktop.Telepathy.Protocol.Interface.Avatars`: the requirements, before connecting. */
export function protocolAvatarsInterface(): BusInterface {
  return { methods: {}, properties: avatarRequirementProperties() };
}
