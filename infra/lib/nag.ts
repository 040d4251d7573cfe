import { Token, type Stack } from 'aws-cdk-lib';

/**
 * The region and account as cdk-nag writes them in a finding's id: the pseudo parameter
 * (`<AWS::Region>`) when the stack is environment-agnostic, the literal when `env` names them
 * (a `cdk synth` with a configured profile). An acknowledgement must match either way.
 */
export function nagEnvironment(stack: Stack): { region: string; account: string } {
  const literal = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<${pseudo}>` : value);
  return { region: literal(stack.region, 'AWS::Region'), account: literal(stack.account, 'AWS::AccountId') };
}
