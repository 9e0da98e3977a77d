using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Xunit;

namespace Stm.Tests.Unit.Api;

/// <summary>Reflection checks of the parts of a signature that a method-group conversion cannot see.</summary>
internal static class ContractAssert
{
    /// <summary>Asserts that the out parameter <paramref name="parameterName"/> carries <c>[MaybeNullWhen(false)]</c>.</summary>
    public static void MaybeNullWhenFalse(MethodInfo method, string parameterName)
    {
        ParameterInfo parameter = Parameter(method, parameterName);
        Assert.True(parameter.IsOut, $"{Describe(method)}: '{parameterName}' is not an out parameter.");
        MaybeNullWhenAttribute? attribute = parameter.GetCustomAttribute<MaybeNullWhenAttribute>();
        Assert.True(attribute is not null, $"{Describe(method)}: '{parameterName}' lacks [MaybeNullWhen(false)].");
        Assert.False(attribute.ReturnValue, $"{Describe(method)}: '{parameterName}' has [MaybeNullWhen(true)], expected false.");
    }

    /// <summary>Asserts that <paramref name="parameterName"/> is optional with the default <c>default</c>.</summary>
    public static void OptionalDefault(MethodBase method, string parameterName)
    {
        ParameterInfo parameter = Parameter(method, parameterName);
        Assert.True(parameter.IsOptional, $"{Describe(method)}: '{parameterName}' is not optional.");
        Assert.True(
            parameter.DefaultValue is null || parameter.DefaultValue is DBNull,
            $"{Describe(method)}: '{parameterName}' defaults to {parameter.DefaultValue}, expected default.");
    }

    /// <summary>Asserts that <paramref name="parameterName"/> is optional with the default <paramref name="expected"/>.</summary>
    public static void OptionalDefault(MethodBase method, string parameterName, object expected)
    {
        ParameterInfo parameter = Parameter(method, parameterName);
        Assert.True(parameter.IsOptional, $"{Describe(method)}: '{parameterName}' is not optional.");
        Assert.Equal(expected, parameter.DefaultValue);
    }

    /// <summary>Asserts that a reference-typed parameter is annotated nullable (<c>T?</c>).</summary>
    public static void NullableParameter(MethodBase method, string parameterName)
    {
        ParameterInfo parameter = Parameter(method, parameterName);
        Assert.Equal(NullabilityState.Nullable, new NullabilityInfoContext().Create(parameter).WriteState);
    }

    /// <summary>Asserts that the generic type parameter at <paramref name="position"/> has the <c>notnull</c> constraint.</summary>
    public static void NotNullConstraint(Type genericTypeDefinition, int position)
    {
        Type parameter = genericTypeDefinition.GetGenericArguments()[position];
        Assert.True(HasNotNullConstraint(parameter), $"{genericTypeDefinition.Name}<{parameter.Name}> has no notnull constraint.");
    }

    /// <summary>
    /// Whether a type parameter is declared <c>notnull</c>: the compiler writes [Nullable(1)] on it, or
    /// leaves it out when the enclosing [NullableContext] already says 1.
    /// </summary>
    public static bool HasNotNullConstraint(Type parameter)
    {
        CustomAttributeData? own = parameter.CustomAttributes
            .SingleOrDefault(static a => a.AttributeType.FullName == "System.Runtime.CompilerServices.NullableAttribute");
        if (own is not null)
        {
            return own.ConstructorArguments[0].Value is byte value && value == 1;
        }

        for (Type? scope = parameter.DeclaringType; scope is not null; scope = scope.DeclaringType)
        {
            CustomAttributeData? context = scope.CustomAttributes
                .SingleOrDefault(static a => a.AttributeType.FullName == "System.Runtime.CompilerServices.NullableContextAttribute");
            if (context is not null)
            {
                return context.ConstructorArguments[0].Value is byte value && value == 1;
            }
        }

        return false;
    }

    /// <summary>Gets a public constructor with exactly these parameter types.</summary>
    public static ConstructorInfo Constructor(Type type, params Type[] parameterTypes)
    {
        ConstructorInfo? constructor = type.GetConstructor(parameterTypes);
        Assert.True(
            constructor is not null,
            $"{type.Name} has no public constructor ({string.Join(", ", parameterTypes.Select(static t => t.Name))}).");
        return constructor;
    }

    /// <summary>Asserts a public instance property of exactly <paramref name="propertyType"/>, with or without a public setter.</summary>
    public static PropertyInfo Property(Type type, string name, Type propertyType, bool settable)
    {
        PropertyInfo? property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
        Assert.True(property is not null, $"{type.Name}.{name} is missing.");
        Assert.Equal(propertyType, property.PropertyType);
        Assert.True(property.GetMethod is { IsPublic: true }, $"{type.Name}.{name} has no public getter.");
        Assert.Equal(settable, property.SetMethod is { IsPublic: true });
        return property;
    }

    private static ParameterInfo Parameter(MethodBase method, string parameterName)
    {
        ParameterInfo? parameter = method.GetParameters().SingleOrDefault(p => p.Name == parameterName);
        Assert.True(parameter is not null, $"{Describe(method)} has no parameter '{parameterName}'.");
        return parameter;
    }

    private static string Describe(MethodBase method) => $"{method.DeclaringType?.Name}.{method.Name}";
}
