import type { FamilyModule } from '../core/types';

export const hsm: FamilyModule = { routes: [] };
