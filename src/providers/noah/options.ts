import { z } from 'zod';

/**
 * `providerOptions.noah`: how a caller wants its canonical address written into NOAH's
 * PrimaryResidence, which has only Street and Street2 where the canonical address has a building
 * number, building name, floor, apartment and entrance. Every field is optional; GraphQL sends
 * null for absent fields and may send null for the whole object, so both mean "use the default".
 */

/** Where the building number goes in Street: `Mannerheimintie 12` (AFTER) or `12 Main St` (BEFORE). */
export const BUILDING_NUMBER_PLACEMENTS = ['AFTER_STREET', 'BEFORE_STREET'] as const;
export type BuildingNumberPlacement = (typeof BUILDING_NUMBER_PLACEMENTS)[number];

export const DEFAULT_BUILDING_NUMBER_PLACEMENT: BuildingNumberPlacement = 'AFTER_STREET';
export const DEFAULT_ADDRESS_DETAILS_IN_STREET2 = true;

export const optionsSchema = z.preprocess(
  (value) => value ?? {},
  z.object({
    buildingNumberPlacement: z
      .enum(BUILDING_NUMBER_PLACEMENTS)
      .nullish()
      .transform((value) => value ?? DEFAULT_BUILDING_NUMBER_PLACEMENT),
    addressDetailsInStreet2: z
      .boolean()
      .nullish()
      .transform((value) => value ?? DEFAULT_ADDRESS_DETAILS_IN_STREET2),
  }),
);

export type NoahOptions = z.output<typeof optionsSchema>;
