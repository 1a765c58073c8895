"""The electronic submission: the mail package (folder, .zip, .eml drafts) and sending it."""
