using System.ComponentModel.DataAnnotations;

namespace TeaTrace.Api.Common;

/// <summary>A weight in kilograms: positive, at most the given maximum, and no finer than a gram.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class KilogramsAttribute(double maximum) : ValidationAttribute
{
    public double Maximum { get; } = maximum;

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        if (value is not decimal kg)
        {
            return ValidationResult.Success; // [Required] reports a missing value
        }

        var name = validationContext.MemberName is { } member ? [member] : Array.Empty<string>();
        if (kg <= 0)
        {
            return new ValidationResult($"{validationContext.DisplayName} must be more than 0 kg.", name);
        }

        if (kg > (decimal)Maximum)
        {
            return new ValidationResult($"{validationContext.DisplayName} must be at most {Maximum} kg.", name);
        }

        return decimal.Round(kg, 3) != kg
            ? new ValidationResult($"{validationContext.DisplayName} is recorded to the gram: at most 3 decimal places.", name)
            : ValidationResult.Success;
    }
}
