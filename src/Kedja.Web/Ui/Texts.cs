namespace Kedja.Web.Ui;

/// <summary>
/// The interface's words: Swedish in Texts.resx (the neutral language), English in Texts.en.resx. Pages take them
/// through <c>IStringLocalizer&lt;Texts&gt;</c>; a test checks that every key has both.
/// </summary>
public sealed class Texts;
