import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminUpdateUserAttributesCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { StaffDirectory } from './bootstrap.ts';

/** What a deployed stage's stack tells ops commands (see the outputs in infra/stack.ts). */
export interface StageOutputs {
  staffUserPoolId: string;
  tableName: string;
}

/** The stack of a stage, as `cdk deploy -c stage=<stage>` named it. */
export const stackName = (stage: string): string => `guanjia-${stage}`;

/** Reads the outputs of the stage's stack in the client's region; names what is missing. */
export async function readStageOutputs(cloudFormation: Pick<CloudFormationClient, 'send'>, stage: string): Promise<StageOutputs> {
  const name = stackName(stage);
  let outputs: Record<string, string>;
  try {
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: name }));
    outputs = Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
  } catch (error) {
    // CloudFormation answers a missing stack with a ValidationError "does not exist".
    if (error instanceof Error && /does not exist/.test(error.message)) {
      throw new Error(`no stack ${name} in this account and region: deploy the stage first, or choose its region (--region, AWS_REGION or the profile's)`);
    }
    throw error;
  }
  const staffUserPoolId = outputs.StaffUserPoolId;
  const tableName = outputs.TableName;
  if (!staffUserPoolId || !tableName) throw new Error(`the stack ${name} has no StaffUserPoolId or TableName output: is it fully deployed?`);
  return { staffUserPoolId, tableName };
}

/** The staff user pool through Cognito's admin API, with the caller's credentials. */
export function cognitoDirectory(cognito: Pick<CognitoIdentityProviderClient, 'send'>, userPoolId: string): StaffDirectory {
  return {
    async getUser(username) {
      try {
        const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
        const attributes = Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name ?? '', a.Value ?? '']));
        // A new account is in at most a handful of groups: one page is all of them.
        const { Groups } = await cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: username, Limit: 60 }));
        return { attributes, groups: (Groups ?? []).map((g) => g.GroupName ?? '') };
      } catch (error) {
        if (error instanceof Error && error.name === 'UserNotFoundException') return null;
        throw error;
      }
    },
    async createUser(username, attributes) {
      await cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: userPoolId,
          Username: username,
          UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
    },
    async addToGroup(username, group) {
      await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: group }));
    },
    async updateAttributes(username, attributes) {
      await cognito.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: userPoolId,
          Username: username,
          UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
        }),
      );
    },
  };
}
