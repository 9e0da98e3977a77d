using Xunit;

// Each test drives a Coyote TestingEngine, which takes over scheduling of the whole process while it
// runs; two engines at once would fight over it, and the seeded-bug tests flip process-wide switches.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
