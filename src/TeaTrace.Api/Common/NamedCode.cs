namespace TeaTrace.Api.Common;

/// <summary>A configured code with its Chinese and English names (a style, a grade).</summary>
internal sealed record NamedCode(string Code, string Zh, string En);
