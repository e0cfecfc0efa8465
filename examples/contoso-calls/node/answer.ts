// Answers incoming calls (TypeScript).
import { CallAutomationClient, AnswerCallOptions } from "@azure/communication-call-automation";

const callbackBase: string = "http://contoso-reminders.example";

export async function answer(client: CallAutomationClient, incomingCallContext: string) {
  const options: AnswerCallOptions = { operationCallbackUrl: callbackBase + "/api/operations" };
  return client.answerCall(incomingCallContext, "https://contoso-reminders.example/api/callbacks", options);
}
