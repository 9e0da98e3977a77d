namespace Stm.Tests.Unit.Core;

/// <summary>An exception type that only these tests throw, so an assertion cannot catch an engine exception by accident.</summary>
public sealed class TestException : Exception
{
    /// <summary>Creates the exception with a fixed message.</summary>
    public TestException()
        : base("thrown by a test body")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public TestException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and <paramref name="innerException"/>.</summary>
    public TestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
