import { builder } from '../builder.js';
import './enums.js';
import './node.js';
import './organization.js';
import './customer.js';
import './identity.js';
import './address.js';
import './account.js';
import './card.js';
import './relationship.js';
import './provider-link.js';
import './demographics.js';
import './address-history.js';
import './user-error.js';
import './customer-mutations.js';
import './customer-numbers.js';
import './customer-lookup.js';
import './audit-event.js';

/** The executable schema. Built once per process; it holds no data, only type definitions. */
export const schema = builder.toSchema({ sortSchema: true });
