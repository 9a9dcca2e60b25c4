"""One parser per page kind (outfit list, outfit, goods): a markup change on the shop is a one-file fix."""
