import { resolveNodes } from '@pothos/plugin-relay';
import { isObjectType, type GraphQLResolveInfo } from 'graphql';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { AppError, ErrorCode } from '../errors.js';
import { decodeGlobalId, type DecodedGlobalId } from '../global-id.js';
import { isNodeVisible } from '../loaders/visibility.js';

/** Same cap as a connection page. */
const MAX_NODES = 100;

const NodeRef = builder.nodeInterfaceRef();

/** A decoded ID whose type is not a Node type of this schema can name no object: it resolves to null. */
function isNodeType(info: GraphQLResolveInfo, typename: string): boolean {
  const type = info.schema.getType(typename);
  return isObjectType(type) && type.getInterfaces().some((iface) => iface.name === NodeRef.name);
}

/** Loads nodes by global ID; another tenant's object resolves to null, exactly like a missing one. */
async function loadNodes(context: Context, info: GraphQLResolveInfo, ids: DecodedGlobalId[]) {
  const nodes = await resolveNodes(builder, context, info, ids);
  return Promise.all(
    nodes.map(async (pending, i) => {
      const node = await pending;
      if (!node || node instanceof Error) return node;
      return (await isNodeVisible(context, ids[i]!.typename, node as object)) ? node : null;
    }),
  );
}

builder.queryFields((t) => ({
  node: t.field({
    type: NodeRef,
    nullable: true,
    description: 'Fetches any object by its global ID; null when no such object exists.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, context, info) => {
      const decoded = decodeGlobalId(args.id, ['id']);
      if (!isNodeType(info, decoded.typename)) return null;
      const [node] = await loadNodes(context, info, [decoded]);
      return (node ?? null) as never;
    },
  }),
  nodes: t.field({
    type: [NodeRef],
    nullable: { list: false, items: true },
    description:
      'Fetches up to 100 objects by global ID, in the order given. An unknown ID gives null at its position; an undecodable ID gives null there and an INVALID_ID error at that index.',
    args: { ids: t.arg.idList({ required: true }) },
    resolve: async (_root, args, context, info) => {
      if (args.ids.length > MAX_NODES) {
        throw new AppError(ErrorCode.BAD_USER_INPUT, `ids may hold at most ${MAX_NODES} IDs, got ${args.ids.length}`, {
          argument: ['ids'],
        });
      }
      const decoded = args.ids.map((id, index) => {
        try {
          return decodeGlobalId(id, ['ids', String(index)]);
        } catch (error) {
          return error as Error;
        }
      });
      const loadable = decoded.filter(
        (entry): entry is DecodedGlobalId => !(entry instanceof Error) && isNodeType(info, entry.typename),
      );
      const loaded = await loadNodes(context, info, loadable);
      const byEntry = new Map(loadable.map((entry, index) => [entry, loaded[index]]));
      return decoded.map((entry) => (entry instanceof Error ? entry : (byEntry.get(entry) ?? null))) as never;
    },
  }),
}));
