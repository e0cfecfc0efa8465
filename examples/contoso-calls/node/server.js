// Contoso appointment reminders (JavaScript).
const { CallAutomationClient } = require("@azure/communication-call-automation");
const { SmsClient } = require("@azure/communication-sms");

const host = "http://contoso-reminders.example";
const client = new CallAutomationClient(process.env.ACS_CONNECTION_STRING);
const smsClient = new SmsClient(process.env.ACS_CONNECTION_STRING);

async function callCustomer() {
  const invite = {
    targetParticipant: { phoneNumber: "14255550100" },
    sourceCallIdNumber: { phoneNumber: "+18005550100" },
  };
  return client.createCall(invite, `${host}/api/callbacks`);
}

async function confirm(to) {
  const results = await smsClient.send({ from: "+18005550100", to: [to, "425.555.0100"], message: "Confirmed" });
  return results.map((r) => r.messageId);
}

module.exports = { callCustomer, confirm };
