import type { FamilyModule } from '../core/types';
import { secrets } from './secrets';
import { keys } from './keys';
import { certificates } from './certificates';
import { storage } from './storage';
import { hsm } from './hsm';

/** Every data-plane family the emulator serves; each owns its routes, its part of the state and its demo seed. */
export const families: FamilyModule[] = [secrets, keys, certificates, storage, hsm];
