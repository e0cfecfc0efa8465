// Plays the reminder prompts (JavaScript).
const PROMPTS = "https://contosoreminders.blob.core.windows.net/prompts";

async function playReminder(callConnection) {
  const callMedia = callConnection.getCallMedia();
  await callMedia.playToAll({ kind: "fileSource", url: `${PROMPTS}/reminder.mp3` }, { operationContext: "reminder" });
}

async function playGoodbye(callConnection) {
  const callMedia = callConnection.getCallMedia();
  await callMedia.playToAll([{ kind: "fileSource", url: `${PROMPTS}/goodbye.m4a` }], {
    operationContext: "goodbye",
    operationCallbackUrl: "https://localhost:3000/api/media",
  });
}

module.exports = { playReminder, playGoodbye };
