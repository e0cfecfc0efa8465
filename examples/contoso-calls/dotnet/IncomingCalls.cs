// Answers calls to the Contoso reminders line (C#).
using System;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Azure.Communication;
using Azure.Communication.CallAutomation;
using Azure.Messaging;
using Azure.Messaging.EventGrid;
using Microsoft.AspNetCore.Mvc;

[ApiController]
public class IncomingCallsController : ControllerBase
{
    private const string CallbackBase = "https://contoso-reminders.example/api/callbacks";
    private const string Prompts = "https://contosoreminders.blob.core.windows.net/prompts";
    private static readonly PhoneNumberIdentifier FrontDesk = new PhoneNumberIdentifier("+14255550133");

    private readonly CallAutomationClient _client;

    public IncomingCallsController(CallAutomationClient client) => _client = client;

    // Event Grid subscription for Microsoft.Communication.IncomingCall.
    [HttpPost("/api/incomingCall")]
    public async Task<IActionResult> OnIncomingCall([FromBody] EventGridEvent[] events)
    {
        foreach (var eventGridEvent in events)
        {
            if (eventGridEvent.EventType != "Microsoft.Communication.IncomingCall")
            {
                continue;
            }
            var data = JsonNode.Parse(eventGridEvent.Data)!;
            await _client.AnswerCallAsync(data["incomingCallContext"]!.GetValue<string>(), new Uri(CallbackBase));
        }
        return Ok();
    }

    [HttpPost("/api/callbacks")]
    public async Task<IActionResult> OnCallEvent([FromBody] CloudEvent[] cloudEvents)
    {
        foreach (var cloudEvent in cloudEvents)
        {
            var callEvent = CallAutomationEventParser.Parse(cloudEvent);
            var connection = _client.GetCallConnection(callEvent.CallConnectionId);
            if (callEvent is CallConnected)
            {
                var reminder = new FileSource(new Uri(Prompts + "/reminder-44k-stereo.wav"));
                await connection.GetCallMedia().PlayToAllAsync(new PlayToAllOptions(reminder) { OperationContext = "reminder" });
            }
            else if (callEvent is PlayCompleted)
            {
                await connection.TransferCallToParticipantAsync(FrontDesk);
            }
        }
        return Ok();
    }
}
