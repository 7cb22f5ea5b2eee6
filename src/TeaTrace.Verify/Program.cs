using TeaTrace.Verify;

return await VerifyCommand.RunAsync(args, Console.Out);
