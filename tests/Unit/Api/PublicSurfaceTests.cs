using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Xml.Linq;
using Stm.Collections;
using Xunit;

namespace Stm.Tests.Unit.Api;

/// <summary>
/// Reflection over the public surface of Stm.dll and Stm.Collections.dll: the shape docs/reference.md requires
/// (sealed or static types, the right namespaces, the listed types present) and the XML documentation
/// shipped next to each assembly (every public member documented; every member of a transactional type
/// says where it may be called; every member that can block says so and names <see cref="Atomic.Retry"/>).
/// </summary>
public sealed class PublicSurfaceTests
{
    private const BindingFlags DeclaredPublic =
        BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Assembly s_core = typeof(TVar<>).Assembly;
    private static readonly Assembly s_collections = typeof(TMap<,>).Assembly;

    /// <summary>The members that docs/reference.md marks as waiting ("Retry while ..."), by documentation id.</summary>
    private static readonly string[] s_blockingMembers =
    [
        "M:Stm.Collections.TQueue`1.Dequeue",
        "M:Stm.Collections.TBoundedQueue`1.Enqueue(`0)",
        "M:Stm.Collections.TBoundedQueue`1.Dequeue",
        "M:Stm.Collections.TChannelReader`1.Read",
        "M:Stm.Collections.TMVar`1.Take",
        "M:Stm.Collections.TMVar`1.Put(`0)",
        "M:Stm.Collections.TMVar`1.Read",
        "M:Stm.Collections.TSemaphore.Wait",
    ];

    [Fact]
    public void PublicTypes_CoreAssembly_AreTheContractTypesInNamespaceStm()
    {
        Type[] types = s_core.GetExportedTypes();

        Assert.Contains(typeof(TVar<>), types);
        Assert.Contains(typeof(Atomic), types);
        Assert.All(types, static type => Assert.Equal("Stm", type.Namespace));
    }

    [Fact]
    public void PublicTypes_CollectionsAssembly_AreTheContractTypesInNamespaceStmCollections()
    {
        Type[] types = s_collections.GetExportedTypes();
        Type[] expected =
        [
            typeof(TMap<,>), typeof(TSet<>), typeof(TSortedMap<,>), typeof(TQueue<>), typeof(TBoundedQueue<>),
            typeof(TChannel<>), typeof(TChannelReader<>), typeof(TArray<>), typeof(TCounter), typeof(TMVar<>),
            typeof(TSemaphore),
        ];

        Assert.All(expected, type => Assert.Contains(type, types));
        Assert.All(types, static type => Assert.Equal("Stm.Collections", type.Namespace));
    }

    [Fact]
    public void PublicTypes_BothAssemblies_AreSealedOrStatic()
    {
        string[] open = PublicTypes()
            .Where(static type => !type.IsSealed && !type.IsInterface && !type.IsEnum && !type.IsValueType)
            .Select(static type => type.FullName!)
            .ToArray();

        Assert.Empty(open);
        Assert.True(typeof(Atomic).IsAbstract && typeof(Atomic).IsSealed, "Atomic must be static.");
    }

    [Fact]
    public void XmlDocs_EveryPublicTypeAndMember_HasSummaryOrInheritdoc()
    {
        var missing = new List<string>();
        foreach ((string id, XElement? doc) in PublicMembersWithDocs())
        {
            bool documented = doc is not null
                && (doc.Element("inheritdoc") is not null || !string.IsNullOrWhiteSpace(DocText(doc.Element("summary"))));
            if (!documented)
            {
                missing.Add(id);
            }
        }

        Assert.True(missing.Count == 0, "Public members without XML docs:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void XmlDocs_MembersThatTouchTransactionalState_SayWhereTheyMayBeCalled()
    {
        // Constructors and members that only read configuration fixed at construction (a name, a
        // comparer, a length or capacity) touch no transactional state, so they are exempt, as are the
        // members of immutable records (diagnostic results: copied data); a member documented as "the
        // same as" another member inherits that member's statement.
        Dictionary<string, XElement?> docs = PublicMembersWithDocs().ToDictionary(static p => p.Id, static p => p.Doc);
        string[] recordPrefixes = PublicTypes()
            .Where(static type => type.GetMethod("<Clone>$") is not null)
            .Select(static type => DocumentationId(type)[2..] + ".")
            .ToArray();
        var missing = new List<string>();
        foreach ((string id, XElement? doc) in docs)
        {
            if ((!id.StartsWith("M:", StringComparison.Ordinal) && !id.StartsWith("P:", StringComparison.Ordinal))
                || id.Contains(".#ctor", StringComparison.Ordinal)
                || IsConfiguration(id)
                || recordPrefixes.Any(prefix => id[2..].StartsWith(prefix, StringComparison.Ordinal))
                || id.EndsWith(".ToString", StringComparison.Ordinal))
            {
                continue;
            }

            if (!SaysWhere(doc) && !SameAsMemberThatSaysWhere(doc, docs))
            {
                missing.Add(id);
            }
        }

        Assert.True(missing.Count == 0, "Members whose docs do not say inside/outside a transaction:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void XmlDocs_MembersThatRetryWhileWaiting_SayTheyBlockAndNameRetry()
    {
        Dictionary<string, XElement?> docs = PublicMembersWithDocs().ToDictionary(static p => p.Id, static p => p.Doc);
        var missing = new List<string>();
        foreach (string id in s_blockingMembers)
        {
            Assert.True(docs.ContainsKey(id), $"{id} is not a public member (the documentation id generator or the API changed).");
            string text = DocText(docs[id]);
            if (!text.Contains("block", StringComparison.OrdinalIgnoreCase)
                || !text.Contains("M:Stm.Atomic.Retry", StringComparison.Ordinal))
            {
                missing.Add(id);
            }
        }

        Assert.True(missing.Count == 0, "Waiting members whose docs do not say they block via Atomic.Retry:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void DocumentationId_KnownMembers_MatchCompilerIds()
    {
        // The generator below must produce the compiler's ids, or the doc tests above check nothing.
        Assert.Equal("T:Stm.TVar`1", DocumentationId(typeof(TVar<>)));
        Assert.Equal(
            "M:Stm.Atomic.TryRun``1(System.Func{``0},System.TimeSpan,``0@)",
            DocumentationId(typeof(Atomic).GetMethods().Single(static m => m.Name == nameof(Atomic.TryRun) && m.IsGenericMethod)));
        Assert.Equal(
            "M:Stm.Collections.TMap`2.GetOrAdd(`0,System.Func{`0,`1})",
            DocumentationId(typeof(TMap<,>).GetMethods().Single(static m => m.Name == "GetOrAdd" && m.GetParameters()[1].ParameterType.IsGenericType)));
        Assert.Equal("P:Stm.Collections.TArray`1.Item(System.Int32)", DocumentationId(typeof(TArray<>).GetProperty("Item")!));
        Assert.Equal("M:Stm.Collections.TCounter.#ctor(System.Int64)", DocumentationId(typeof(TCounter).GetConstructors().Single()));
    }

    private static IEnumerable<Type> PublicTypes() => s_core.GetExportedTypes().Concat(s_collections.GetExportedTypes());

    private static IEnumerable<(string Id, XElement? Doc)> PublicMembersWithDocs()
    {
        foreach (Assembly assembly in new[] { s_core, s_collections })
        {
            string path = Path.ChangeExtension(assembly.Location, ".xml");
            Assert.True(File.Exists(path), $"No XML documentation file next to {assembly.Location}.");
            Dictionary<string, XElement> docs = XDocument.Load(path).Root!.Element("members")!.Elements("member")
                .ToDictionary(static m => (string)m.Attribute("name")!);
            foreach (Type type in assembly.GetExportedTypes())
            {
                string typeId = DocumentationId(type);
                yield return (typeId, docs.GetValueOrDefault(typeId));
                foreach (MemberInfo member in type.GetMembers(DeclaredPublic))
                {
                    // Members a record's compiler synthesizes (equality, clone) cannot carry docs.
                    if (member is MethodInfo { IsSpecialName: true } || member is Type || member.IsDefined(typeof(CompilerGeneratedAttribute)))
                    {
                        continue;
                    }

                    string id = DocumentationId(member);
                    yield return (id, docs.GetValueOrDefault(id));
                }
            }
        }
    }

    private static bool IsConfiguration(string id) =>
        id is "P:Stm.TVar`1.Name" or "P:Stm.Collections.TArray`1.Length" or "P:Stm.Collections.TBoundedQueue`1.Capacity"
        || id.EndsWith(".Comparer", StringComparison.Ordinal);

    private static bool SaysWhere(XElement? doc)
    {
        string text = DocText(doc);
        return text.Contains("transaction", StringComparison.OrdinalIgnoreCase)
            || text.Contains("anywhere", StringComparison.OrdinalIgnoreCase);
    }

    private static bool SameAsMemberThatSaysWhere(XElement? doc, Dictionary<string, XElement?> docs)
    {
        XElement? summary = doc?.Element("summary");
        if (summary is null || !summary.Value.Contains("same as", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return summary.Descendants("see")
            .Select(static see => (string?)see.Attribute("cref"))
            .Any(cref => cref is not null && docs.TryGetValue(cref, out XElement? target) && SaysWhere(target));
    }

    /// <summary>The text of a doc element with the targets of its cref/langword references inlined.</summary>
    private static string DocText(XElement? element)
    {
        if (element is null)
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        foreach (XNode node in element.DescendantNodes())
        {
            if (node is XText xText)
            {
                text.Append(xText.Value);
            }
            else if (node is XElement xElement)
            {
                text.Append(' ').Append((string?)xElement.Attribute("cref") ?? (string?)xElement.Attribute("langword")).Append(' ');
            }
        }

        return text.ToString();
    }

    private static string DocumentationId(MemberInfo member) => member switch
    {
        Type type => "T:" + TypeName(type, definition: true),
        ConstructorInfo constructor => $"M:{TypeName(constructor.DeclaringType!, definition: true)}.#ctor{Parameters(constructor)}",
        MethodInfo method => $"M:{TypeName(method.DeclaringType!, definition: true)}.{method.Name}"
            + (method.IsGenericMethod ? "``" + method.GetGenericArguments().Length : string.Empty)
            + Parameters(method),
        PropertyInfo property => $"P:{TypeName(property.DeclaringType!, definition: true)}.{property.Name}"
            + (property.GetIndexParameters().Length == 0 ? string.Empty : ParameterList(property.GetIndexParameters())),
        EventInfo @event => $"E:{TypeName(@event.DeclaringType!, definition: true)}.{@event.Name}",
        FieldInfo field => $"F:{TypeName(field.DeclaringType!, definition: true)}.{field.Name}",
        _ => throw new ArgumentOutOfRangeException(nameof(member), member, "Unexpected member kind."),
    };

    private static string Parameters(MethodBase method)
    {
        ParameterInfo[] parameters = method.GetParameters();
        return parameters.Length == 0 ? string.Empty : ParameterList(parameters);
    }

    private static string ParameterList(ParameterInfo[] parameters) =>
        "(" + string.Join(",", parameters.Select(static p => TypeName(p.ParameterType, definition: false))) + ")";

    private static string TypeName(Type type, bool definition)
    {
        if (type.IsByRef)
        {
            return TypeName(type.GetElementType()!, definition: false) + "@";
        }

        if (type.IsArray)
        {
            return TypeName(type.GetElementType()!, definition: false) + "[]";
        }

        if (type.IsGenericParameter)
        {
            return (type.DeclaringMethod is null ? "`" : "``") + type.GenericParameterPosition;
        }

        string name = type.IsNested
            ? TypeName(type.DeclaringType!, definition) + "." + type.Name
            : type.Namespace + "." + type.Name;
        if (!type.IsGenericType || definition)
        {
            return name;
        }

        int tick = name.LastIndexOf('`');
        string bare = tick < 0 ? name : name[..tick];
        return bare + "{" + string.Join(",", type.GetGenericArguments().Select(static a => TypeName(a, definition: false))) + "}";
    }
}
