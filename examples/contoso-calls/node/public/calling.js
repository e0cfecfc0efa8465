// Browser page that lets staff call customers; SDK logs are shipped to the server (JavaScript).
import { CallClient } from "@azure/communication-calling";
import { AzureLogger, createClientLogger, setLogLevel } from "@azure/logger";

setLogLevel("info");
const logger = createClientLogger("contoso-reminders");

AzureLogger.log = (...args) => {
  fetch("/api/client-logs", { method: "POST", body: args.join(" ") });
};

export const callClient = new CallClient({ logger });
