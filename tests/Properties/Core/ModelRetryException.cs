namespace Stm.Tests.Properties.Core;

/// <summary>The reference model's Retry: unwinds to the nearest OrElse (or the top).</summary>
public sealed class ModelRetryException : Exception
{
    public ModelRetryException()
        : base("retry")
    {
    }

    public ModelRetryException(string message)
        : base(message)
    {
    }

    public ModelRetryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
