// Contoso appointment reminders (C#).
using System;
using Azure.Communication;
using Azure.Communication.CallAutomation;

public class Reminders
{
    private const string CallbackHost = "http://contoso-reminders.example";
    private static readonly Uri CallbackUri = new Uri(CallbackHost + "/api/callbacks");

    private readonly CallAutomationClient _client =
        new CallAutomationClient(Environment.GetEnvironmentVariable("ACS_CONNECTION_STRING"));

    public async Task CallAsync()
    {
        var caller = new PhoneNumberIdentifier("+18005550100");
        var invite = new CallInvite(new PhoneNumberIdentifier("0044 20 7946 0000"), caller);
        var options = new CreateCallOptions(invite, new Uri($"{CallbackHost}/api/callbacks"));
        await _client.CreateCallAsync(options);
    }
}
