import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { cognitoDirectory, readStageOutputs } from '@guanjia/local/aws-stage';

// Stand-ins for the two services: no request leaves the machine.
const cf = mockClient(CloudFormationClient);
const idp = mockClient(CognitoIdentityProviderClient);
const region = { region: 'ap-southeast-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
const POOL = 'ap-southeast-1_Staff0001';

const awsError = (name: string, message = name) => Object.assign(new Error(message), { name, $metadata: {} });

beforeEach(() => {
  cf.reset();
  idp.reset();
});
afterAll(() => {
  cf.restore();
  idp.restore();
});

describe("a deployed stage's outputs", () => {
  it('are read from the stack guanjia-<stage>', async () => {
    cf.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: 'guanjia-prod',
          CreationTime: new Date(),
          StackStatus: 'UPDATE_COMPLETE',
          Outputs: [
            { OutputKey: 'StaffUserPoolId', OutputValue: POOL },
            { OutputKey: 'TableName', OutputValue: 'guanjia-prod' },
          ],
        },
      ],
    });
    await expect(readStageOutputs(new CloudFormationClient(region), 'prod')).resolves.toEqual({ staffUserPoolId: POOL, tableName: 'guanjia-prod' });
    expect(cf.commandCalls(DescribeStacksCommand)[0]!.args[0].input).toEqual({ StackName: 'guanjia-prod' });
  });

  it('name the region when there is no such stack, the usual cause being another region', async () => {
    cf.on(DescribeStacksCommand).rejects(awsError('ValidationError', 'Stack with id guanjia-prod does not exist'));
    await expect(readStageOutputs(new CloudFormationClient(region), 'prod')).rejects.toThrow(/no stack guanjia-prod .*choose its region/);
  });
});

describe('the staff user pool through Cognito', () => {
  it('answers no user for one Cognito does not know', async () => {
    idp.on(AdminGetUserCommand).rejects(awsError('UserNotFoundException'));
    await expect(cognitoDirectory(new CognitoIdentityProviderClient(region), POOL).getUser('rep-li')).resolves.toBeNull();
  });

  it('reads a user’s attributes and groups', async () => {
    idp.on(AdminGetUserCommand).resolves({ Username: 'rep-li', UserAttributes: [{ Name: 'custom:staffId', Value: 'rep-li' }] });
    idp.on(AdminListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'sales' }] });
    await expect(cognitoDirectory(new CognitoIdentityProviderClient(region), POOL).getUser('rep-li')).resolves.toEqual({
      attributes: { 'custom:staffId': 'rep-li' },
      groups: ['sales'],
    });
  });

  it('creates a user in the stage’s pool with the attributes given, mailing the temporary password', async () => {
    idp.on(AdminCreateUserCommand).resolves({});
    idp.on(AdminAddUserToGroupCommand).resolves({});
    const directory = cognitoDirectory(new CognitoIdentityProviderClient(region), POOL);
    await directory.createUser('rep-li', { email: 'rep@example.com', 'custom:staffId': 'rep-li' });
    await directory.addToGroup('rep-li', 'sales');
    expect(idp.commandCalls(AdminCreateUserCommand)[0]!.args[0].input).toEqual({
      UserPoolId: POOL,
      Username: 'rep-li',
      UserAttributes: [
        { Name: 'email', Value: 'rep@example.com' },
        { Name: 'custom:staffId', Value: 'rep-li' },
      ],
      DesiredDeliveryMediums: ['EMAIL'],
    });
    expect(idp.commandCalls(AdminAddUserToGroupCommand)[0]!.args[0].input).toEqual({ UserPoolId: POOL, Username: 'rep-li', GroupName: 'sales' });
  });
});
