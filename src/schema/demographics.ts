import { builder } from '../builder.js';
import type { FirstvisionDemographics } from '../providers/firstvision/read-model.js';
import { Gender } from './enums.js';
import { maskText, pii } from './pii.js';

export const DemographicsRef = builder.objectRef<FirstvisionDemographics>('Demographics').implement({
  description: 'Demographic data as FirstVision holds it (customer/demographicData), read live.',
  fields: (t) => ({
    firstName: t.exposeString('firstName', { nullable: true }),
    middleName: t.exposeString('middleName', { nullable: true }),
    lastName: t.exposeString('lastName', { nullable: true }),
    nameLine1: t.exposeString('nameLine1', { nullable: true, description: 'The name line FirstVision prints (business name for businesses).' }),
    dateOfBirth: t.field({
      type: 'Date',
      nullable: true,
      description: 'Null without the scope pii:read.',
      resolve: (d, _args, context) => pii(context, d.dateOfBirth, () => null),
    }),
    gender: t.expose('gender', { type: Gender, nullable: true }),
    email: t.string({ nullable: true, description: 'Masked without pii:read.', resolve: (d, _a, ctx) => pii(ctx, d.email, maskText) }),
    homePhone: t.string({
      nullable: true,
      description: 'As FirstVision keeps it (not necessarily E.164); masked without pii:read.',
      resolve: (d, _a, ctx) => pii(ctx, d.homePhone, maskText),
    }),
    mobilePhone: t.string({ nullable: true, resolve: (d, _a, ctx) => pii(ctx, d.mobilePhone, maskText) }),
    employerPhone: t.string({ nullable: true, resolve: (d, _a, ctx) => pii(ctx, d.employerPhone, maskText) }),
    language: t.exposeString('language', { nullable: true, description: 'ISO 639-2 code, e.g. ENG.' }),
    employerName: t.exposeString('employerName', { nullable: true }),
    demographics: t.exposeStringList('demographics', { description: 'FirstVision’s free demographic fields, in order.' }),
    vip: t.exposeBoolean('vip', { nullable: true }),
  }),
});
