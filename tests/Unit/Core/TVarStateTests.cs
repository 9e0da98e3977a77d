using Stm.Internal;
using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>
/// The engine reaches the state of a TVar of any value type through <see cref="TVarState.Of"/>,
/// which assumes the state is the only field of every <see cref="TVar{T}"/>. These tests break if a
/// field is ever added to <see cref="TVar{T}"/> or the layout differs between value types.
/// </summary>
public sealed class TVarStateTests
{
    [Fact]
    public void Of_TVarsOfValueTypesOfEverySize_SeesTheirOwnState()
    {
        AssertStateMatches(new TVar<byte>(7, "byte"), (byte)7);
        AssertStateMatches(new TVar<long>(-3, "long"), -3L);
        AssertStateMatches(new TVar<decimal>(1.5m, "decimal"), 1.5m);
        (Guid, decimal, long) wide = (Guid.NewGuid(), 2m, 9);
        AssertStateMatches(new TVar<(Guid, decimal, long)>(wide, "tuple"), wide);
    }

    [Fact]
    public void Of_TVarsOfReferenceTypes_SeesTheirOwnState()
    {
        AssertStateMatches(new TVar<string?>("text", null), "text");
        object value = new();
        AssertStateMatches(new TVar<object>(value, "object"), value);
    }

    [Fact]
    public void Of_AfterCommits_SeesTheNewestVersionAndTheWaitList()
    {
        var tvar = new TVar<int>(1, "written");
        tvar.Write(2);
        Atomic.Run(() => tvar.Value++);

        ref TVarState state = ref TVarState.Of(tvar);
        Assert.Same(tvar.Current, state.CurrentVersion);
        Assert.Equal(3, tvar.Current.Value);
        Assert.False(state.IsLocked);
        Assert.Same(state.GetOrCreateWaitList(), tvar.WaitList);
    }

    private static void AssertStateMatches<T>(TVar<T> tvar, T expectedValue)
    {
        ref TVarState state = ref TVarState.Of(tvar);
        Assert.Equal(tvar.Name, state.Name);
        Assert.Same(tvar.Current, state.CurrentVersion);
        Assert.True(state.Id > 0);
        Assert.False(state.IsLocked);
        Assert.Null(state.WaitList);
        Assert.Equal(expectedValue, tvar.Current.Value);

        var other = new TVar<T>(tvar.Value, "other");
        Assert.NotEqual(state.Id, TVarState.Of(other).Id);
        Assert.Same(other.Current, TVarState.Of(other).CurrentVersion);
    }
}
