using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Stm.Analyzers;

/// <summary>
/// Whether an expression can be moved unchanged into a new lambda, as the code fixes do: C# forbids a
/// lambda to await, to capture ref locals, ref parameters or ref structs, or to capture <c>this</c> of
/// a struct, and a variable declared in the expression would leave the scope its later uses need.
/// </summary>
internal static class LambdaCapture
{
    /// <summary>Whether <paramref name="operation"/> can become the body of a new lambda as it is.</summary>
    public static bool CanMoveIntoLambda(IOperation operation)
    {
        foreach (IOperation descendant in operation.DescendantsAndSelf())
        {
            switch (descendant)
            {
                case IAwaitOperation:
                case IDeclarationExpressionOperation:
                case IDeclarationPatternOperation:
                case IInstanceReferenceOperation { Type.IsValueType: true }:
                case ILocalReferenceOperation { Local: { IsRef: true } }:
                case ILocalReferenceOperation { Local.Type.IsRefLikeType: true }:
                case IParameterReferenceOperation { Parameter.RefKind: not RefKind.None }:
                case IParameterReferenceOperation { Parameter.Type.IsRefLikeType: true }:
                    return false;
            }
        }

        return true;
    }
}
