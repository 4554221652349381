import { builder } from '../../builder.js';
import { BUILDING_NUMBER_PLACEMENTS } from '../../providers/noah/index.js';

export const NoahBuildingNumberPlacement = builder.enumType('NoahBuildingNumberPlacement', {
  description: 'Where the building number goes in NOAH PrimaryResidence.Street.',
  values: {
    AFTER_STREET: { value: BUILDING_NUMBER_PLACEMENTS[0], description: 'After the street name, e.g. "Mannerheimintie 12".' },
    BEFORE_STREET: { value: BUILDING_NUMBER_PLACEMENTS[1], description: 'Before the street name, e.g. "12 Main St".' },
  } as const,
});

export const NoahOptionsInput = builder.inputType('NoahOptionsInput', {
  description:
    'NOAH-only settings. NOAH keeps one address (PrimaryResidence) with Street and Street2 lines; these say how the canonical address is written into them.',
  fields: (t) => ({
    buildingNumberPlacement: t.field({
      type: NoahBuildingNumberPlacement,
      required: false,
      description: 'Where addresses[].buildingNumber goes in Street. Default AFTER_STREET.',
    }),
    addressDetailsInStreet2: t.boolean({
      required: false,
      description:
        'Write buildingName, entrance, floor and apartment into Street2 after line2 (true), or leave them out and list them as omitted (false). Default true.',
    }),
  }),
});
