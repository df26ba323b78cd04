namespace WebhookAdmin.Resources;

/// <summary>
/// Marker for the admin app's texts: UiText.resx (English) and UiText.pt-BR.resx. Every component gets
/// <c>IStringLocalizer&lt;UiText&gt; L</c> from _Imports.razor; keys are prefixed by area (Nav., Webhooks., …).
/// </summary>
public sealed class UiText;
