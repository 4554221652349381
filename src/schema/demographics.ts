import { builder } from '../builder.js';
import type { FirstvisionDemographics } from '../providers/firstvision/read-model.js';
import { Gender } from './enums.js';

export const DemographicsRef = builder.objectRef<FirstvisionDemographics>('Demographics').implement({
  description: 'Demographic data as FirstVision holds it (customer/demographicData), read live.',
  fields: (t) => ({
    firstName: t.exposeString('firstName', { nullable: true }),
    middleName: t.exposeString('middleName', { nullable: true }),
    lastName: t.exposeString('lastName', { nullable: true }),
    nameLine1: t.exposeString('nameLine1', { nullable: true, description: 'The name line FirstVision prints (business name for businesses).' }),
    dateOfBirth: t.expose('dateOfBirth', { type: 'Date', nullable: true }),
    gender: t.expose('gender', { type: Gender, nullable: true }),
    email: t.exposeString('email', { nullable: true }),
    homePhone: t.exposeString('homePhone', { nullable: true, description: 'As FirstVision keeps it (not necessarily E.164).' }),
    mobilePhone: t.exposeString('mobilePhone', { nullable: true }),
    employerPhone: t.exposeString('employerPhone', { nullable: true }),
    language: t.exposeString('language', { nullable: true, description: 'ISO 639-2 code, e.g. ENG.' }),
    employerName: t.exposeString('employerName', { nullable: true }),
    demographics: t.exposeStringList('demographics', { description: 'FirstVision’s free demographic fields, in order.' }),
    vip: t.exposeBoolean('vip', { nullable: true }),
  }),
});
